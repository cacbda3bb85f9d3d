from django.core.management.base import BaseCommand, CommandError

from api.services import api_client_create
from org.models import Agency


class Command(BaseCommand):
    help = "Create an API client for an agency and print its key (shown only this once)."

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="agency code, e.g. STC")
        parser.add_argument("--name", required=True, help='what the client is, e.g. "E-Office STC"')

    def handle(self, *args, agency: str, name: str, **options):
        found = Agency.objects.filter(code=agency).first()
        if found is None:
            raise CommandError(f"No agency with the code {agency!r}")
        client, key = api_client_create(agency=found, name=name)
        self.stderr.write(
            f"API client {client.pk} “{client.name}” of {found.code} created. "
            "Its key follows, shown only this once (only its hash is kept):"
        )
        self.stdout.write(key)
