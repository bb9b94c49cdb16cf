"""``manage.py sync_catalogue``: load the content files into the database (idempotent)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ivp.catalogue.content_loader import CatalogueError
from ivp.catalogue.services import CatalogueSyncError, sync_catalogue


class Command(BaseCommand):
    help = "Load the catalogue content files into the database; a second run changes nothing."

    def handle(self, *args, **options) -> None:
        try:
            result = sync_catalogue()
        except (CatalogueError, CatalogueSyncError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(result))
