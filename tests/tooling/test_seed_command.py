"""The seed_scale command: its report, and its refusal to seed one database twice."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from crm.models import User


def test_the_command_prints_the_counts_and_refuses_a_second_run(db):
    out = StringIO()
    call_command("seed_scale", factor=0.002, stdout=out)
    assert "enterprises                              40         40" in out.getvalue()
    assert User.objects.filter(username__startswith="scale.officer.").count() == 4
    with pytest.raises(CommandError):
        call_command("seed_scale", factor=0.002, stdout=StringIO())
