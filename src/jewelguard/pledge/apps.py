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

        from jewelguard.accounts.next_steps import overview_provider_register
        from jewelguard.pledge.selectors import member_overview_pledge

        overview_provider_register(provider=member_overview_pledge)
