from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "jewelguard.core"
    label = "core"
    verbose_name = _("Site")

    def ready(self) -> None:
        from jewelguard.core import topics

        topics.topic_rule_register(kind="user", check=topics.user_topic_permitted)
