from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlaybookConfig(AppConfig):
    name = "jewelguard.playbook"
    label = "playbook"
    verbose_name = _("Playbook")

    def ready(self) -> None:
        # Check the content files at start-up: a bad edit stops the site with a message naming
        # the file, the scenario or control and the field, instead of breaking a page later.
        from jewelguard.playbook.content import playbook

        playbook()

        from jewelguard.playbook.permissions import playbook_policies_register

        playbook_policies_register()

        from jewelguard.core.home import home_lead_register
        from jewelguard.playbook.selectors import industry_lead

        home_lead_register(provider=industry_lead)
