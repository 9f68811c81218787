"""Form widgets for long choice lists.

Django renders every ``<option>`` of a select through a template of its own: for the filter bars of the lead
and meeting lists (hundreds of officers, hundreds of events at a province's scale) that is most of the page's
server time. ``QuickSelect`` writes the same HTML with one string join.
"""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


class QuickSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = [option for _group, choices, _index in widget["optgroups"] for option in choices]
        body = format_html_join("", '<option value="{}"{}>{}</option>',
                                ((option["value"], " selected" if option["selected"] else "", option["label"])
                                 for option in options))
        return format_html('<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), body)


def quick_selects(form: forms.Form) -> forms.Form:
    """Swap each single-choice select of ``form`` for a QuickSelect with the same attributes and choices."""
    for field in form.fields.values():
        if type(field.widget) is forms.Select:
            quick = QuickSelect(attrs=field.widget.attrs)
            quick.choices = field.widget.choices
            field.widget = quick
    return form
