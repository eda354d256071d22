"""The virtual risk assessment: versioned questionnaires, answers, scoring, recommendations."""
