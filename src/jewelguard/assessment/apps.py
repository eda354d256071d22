from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "jewelguard.assessment"
    label = "assessment"
    verbose_name = _("Risk assessment")

    def ready(self) -> None:
        # Check every questionnaire version at start-up: a bad edit stops the site with a
        # message naming the file, the question and the field. Old versions must stay
        # loadable, since the assessments taken with them are scored by them.
        from jewelguard.assessment.content import questionnaire, questionnaire_versions
        from jewelguard.assessment.permissions import assessment_policies_register

        for version in questionnaire_versions():
            questionnaire(version)
        assessment_policies_register()
