"""QuickSelect writes what Django's Select writes, escaped, in one string join."""

import re

from django import forms

from crm.lib.widgets import QuickSelect, quick_selects

OPTION = re.compile(r'<option value="([^"]*)"( selected)?>([^<]*)</option>')


class Form(forms.Form):
    who = forms.ChoiceField(choices=[("", "---------"), ("1", "王晓明"), ("2", '<b>"李"&</b>')], required=False)
    flag = forms.NullBooleanField(required=False)


def test_the_options_and_the_selection_are_those_of_djangos_select():
    plain = Form({"who": "2"})
    quick = quick_selects(Form({"who": "2"}))
    assert isinstance(quick.fields["who"].widget, QuickSelect)
    assert type(quick.fields["flag"].widget) is forms.NullBooleanSelect  # other widgets untouched
    theirs, ours = str(plain["who"]), str(quick["who"])
    assert OPTION.findall(ours) == OPTION.findall(theirs)
    assert ('2', ' selected', '&lt;b&gt;&quot;李&quot;&amp;&lt;/b&gt;') in OPTION.findall(ours)
    assert ours.startswith('<select name="who" id="id_who">')
