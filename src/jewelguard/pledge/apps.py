from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PledgeConfig(AppConfig):
    name = "jewelguard.pledge"
    label = "pledge"
    verbose_name = _("Pledge")

    def ready(self) -> None:
        # Check the pledge's wording at start-up: a bad edit stops the site with a message
        # naming the file, the version and the field.
        from jewelguard.pledge.texts import pledge_versions

        pledge_versions()

        from jewelguard.pledge.permissions import pledge_policies_register

        pledge_policies_register()
