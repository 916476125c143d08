"""UI registrations (tab, navigation, 待办) — see views.py."""
