from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "jewelguard.accounts"
    label = "accounts"
    # allauth's app is "Accounts" too; two admin sections of one name would be confusing.
    verbose_name = _("People and stores")

    def ready(self) -> None:
        from jewelguard.accounts.permissions import accounts_policies_register

        accounts_policies_register()
