"""The member's digital toolkit: badge, social graphics, e-mail banner, signs, staff briefing."""
