import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PledgeConfig(AppConfig):
    name = "jewelguard.pledge"
    label = "pledge"
    verbose_name = _("Pledge")

    def ready(self) -> None:
        # WeasyPrint and fontTools log every step of every document at INFO, which is the
        # application's level: a toolkit would write dozens of lines. Warnings still show.
        for noisy in ("weasyprint", "fontTools"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
