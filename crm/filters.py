import django_filters
from django.utils.translation import gettext_lazy as _

from crm.choices import EnterpriseKind
from crm.lib.widgets import quick_selects
from crm.models import Enterprise, Industry, KeyIndustry


class EnterpriseFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=EnterpriseKind.choices)
    industry = django_filters.ModelChoiceFilter(label=_("Industry"), queryset=Industry.objects.all())
    key_industries = django_filters.ModelChoiceFilter(label=_("Key industry"), queryset=KeyIndustry.objects.all())

    class Meta:
        model = Enterprise
        fields = ["kind", "industry", "key_industries"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_filter_form(self)


def filter_list(filterset_class, request, queryset):
    """The list's filter form bound to the query string, and the rows it selects: the whole ``queryset`` while no
    filter is given or a value is not valid (a stale link shows the list, the form shows the error)."""
    filterset = filterset_class(request.GET or None, queryset=queryset)
    return filterset, (filterset.qs if filterset.is_bound and filterset.is_valid() else queryset)


def style_filter_form(filterset):
    """Give every filter widget Bootstrap's look (django-filter builds plain widgets); long selects render
    in one string join (crm.lib.widgets)."""
    for field in filterset.form.fields.values():
        css = "form-select" if hasattr(field.widget, "choices") else "form-control"
        field.widget.attrs.setdefault("class", css)
    quick_selects(filterset.form)
    return filterset
