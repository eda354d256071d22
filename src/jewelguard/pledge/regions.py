"""Names of U.S. states and Canadian provinces and territories, for counts by region."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

REGIONS: dict[tuple[str, str], Promise] = {
    ("US", "AL"): _("Alabama"),
    ("US", "AK"): _("Alaska"),
    ("US", "AZ"): _("Arizona"),
    ("US", "AR"): _("Arkansas"),
    ("US", "CA"): _("California"),
    ("US", "CO"): _("Colorado"),
    ("US", "CT"): _("Connecticut"),
    ("US", "DE"): _("Delaware"),
    ("US", "DC"): _("District of Columbia"),
    ("US", "FL"): _("Florida"),
    ("US", "GA"): _("Georgia"),
    ("US", "HI"): _("Hawaii"),
    ("US", "ID"): _("Idaho"),
    ("US", "IL"): _("Illinois"),
    ("US", "IN"): _("Indiana"),
    ("US", "IA"): _("Iowa"),
    ("US", "KS"): _("Kansas"),
    ("US", "KY"): _("Kentucky"),
    ("US", "LA"): _("Louisiana"),
    ("US", "ME"): _("Maine"),
    ("US", "MD"): _("Maryland"),
    ("US", "MA"): _("Massachusetts"),
    ("US", "MI"): _("Michigan"),
    ("US", "MN"): _("Minnesota"),
    ("US", "MS"): _("Mississippi"),
    ("US", "MO"): _("Missouri"),
    ("US", "MT"): _("Montana"),
    ("US", "NE"): _("Nebraska"),
    ("US", "NV"): _("Nevada"),
    ("US", "NH"): _("New Hampshire"),
    ("US", "NJ"): _("New Jersey"),
    ("US", "NM"): _("New Mexico"),
    ("US", "NY"): _("New York"),
    ("US", "NC"): _("North Carolina"),
    ("US", "ND"): _("North Dakota"),
    ("US", "OH"): _("Ohio"),
    ("US", "OK"): _("Oklahoma"),
    ("US", "OR"): _("Oregon"),
    ("US", "PA"): _("Pennsylvania"),
    ("US", "RI"): _("Rhode Island"),
    ("US", "SC"): _("South Carolina"),
    ("US", "SD"): _("South Dakota"),
    ("US", "TN"): _("Tennessee"),
    ("US", "TX"): _("Texas"),
    ("US", "UT"): _("Utah"),
    ("US", "VT"): _("Vermont"),
    ("US", "VA"): _("Virginia"),
    ("US", "WA"): _("Washington"),
    ("US", "WV"): _("West Virginia"),
    ("US", "WI"): _("Wisconsin"),
    ("US", "WY"): _("Wyoming"),
    ("US", "PR"): _("Puerto Rico"),
    ("US", "GU"): _("Guam"),
    ("US", "VI"): _("U.S. Virgin Islands"),
    ("US", "AS"): _("American Samoa"),
    ("US", "MP"): _("Northern Mariana Islands"),
    ("CA", "AB"): _("Alberta"),
    ("CA", "BC"): _("British Columbia"),
    ("CA", "MB"): _("Manitoba"),
    ("CA", "NB"): _("New Brunswick"),
    ("CA", "NL"): _("Newfoundland and Labrador"),
    ("CA", "NS"): _("Nova Scotia"),
    ("CA", "NT"): _("Northwest Territories"),
    ("CA", "NU"): _("Nunavut"),
    ("CA", "ON"): _("Ontario"),
    ("CA", "PE"): _("Prince Edward Island"),
    ("CA", "QC"): _("Quebec"),
    ("CA", "SK"): _("Saskatchewan"),
    ("CA", "YT"): _("Yukon"),
}


def region_name(*, country: str, region: str) -> str:
    """The region's name in the active language; the code itself where it is not known."""
    name = REGIONS.get((country, region.upper()))
    if name is not None:
        return str(name)
    return region.upper() or str(_("Unknown"))
