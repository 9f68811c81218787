"""annual_report: the statistics of a year (January to a month) as JSON or as the Excel workbook."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from reports import services, xlsx
from reports.indicators import PeriodError


class Command(BaseCommand):
    help = ("Write the attraction statistics of January to --through-month of --year (default: the whole year, "
            "or January to this month for this year), the same figures as the dashboard: a published month "
            "gives its snapshot. JSON goes to stdout unless --output is given; xlsx needs --output.")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--through-month", type=int, default=None)
        parser.add_argument("--format", choices=["json", "xlsx"], default="json")
        parser.add_argument("--output", default=None, help="File to write (required for xlsx).")

    def handle(self, *args, year, through_month, format, output, **options):
        if format == "xlsx" and not output:
            raise CommandError("--output is required for --format xlsx")
        try:
            report = services.report_for_period(year=year, through_month=through_month)
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        if format == "xlsx":
            with open(output, "wb") as handle:
                handle.write(xlsx.report_workbook(report))
            self.stderr.write(f"wrote {output}")
            return
        text = json.dumps(report, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stderr.write(f"wrote {output}")
        else:
            sys.stdout.write(text + "\n")
