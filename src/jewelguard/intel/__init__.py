"""Crime intelligence: incidents, the hex crime map, statistics (planned).

For now this package only holds the seam other rooms read: :mod:`jewelguard.intel.selectors`.
It is not a Django app yet; the crime-intelligence room will register it.
"""
