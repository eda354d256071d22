from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PledgeConfig(AppConfig):
    name = "jewelguard.pledge"
    label = "pledge"
    verbose_name = _("Pledge")

    def ready(self) -> None:
        from jewelguard.accounts.next_steps import overview_provider_register
        from jewelguard.pledge.selectors import member_overview_pledge

        overview_provider_register(provider=member_overview_pledge)
