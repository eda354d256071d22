"""Crime intelligence: incidents (NIBRS-aligned), police open-data import, the local crime level.

Other rooms read it only through :mod:`jewelguard.intel.selectors`.
"""
