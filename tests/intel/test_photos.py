"""Evidence photos: stored re-encoded, without location or camera data; bombs and others refused."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from jewelguard.intel.models import EvidencePhoto, Incident
from tests.conftest import client_for
from tests.factories import MemberFactory
from tests.intel.test_report_pages import report_form

pytestmark = pytest.mark.django_db

GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (39.0, 44.0, 52.0),
    ExifTags.GPS.GPSLongitudeRef: "W",
    ExifTags.GPS.GPSLongitude: (104.0, 59.0, 58.0),
}


def photo_with_gps(kind: str = "JPEG", size: tuple[int, int] = (640, 480)) -> bytes:
    image = Image.new("RGB", size, (180, 40, 40))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Canon"
    exif[ExifTags.Base.Model] = "EOS Secret Model"
    exif[ExifTags.Base.Artist] = "Ana Morales"
    exif[ExifTags.Base.Orientation] = 6  # taken sideways: the stored picture is turned upright
    exif[ExifTags.IFD.GPSInfo] = GPS
    out = io.BytesIO()
    image.save(out, format=kind, exif=exif)
    return out.getvalue()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.mark.parametrize(
    ("kind", "name"), [("JPEG", "a.jpg"), ("PNG", "a.png"), ("WEBP", "a.webp")]
)
def test_a_photo_is_stored_without_gps_or_camera_data(member_client, store, kind, name):
    original = photo_with_gps(kind)
    # given a photo that says where it was taken and with what
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    response = member_client.post(
        "/report/", {**report_form(), "photos": [SimpleUploadedFile(name, original)]}
    )
    assert response.status_code == 302
    photo = EvidencePhoto.objects.get()
    stored = photo.image.read()
    image = Image.open(io.BytesIO(stored))
    assert image.format == kind
    assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert len(image.getexif()) == 0
    assert b"Canon" not in stored and b"EOS Secret" not in stored and b"Ana Morales" not in stored
    assert image.size == (480, 640)  # orientation applied to the pixels
    assert photo.image.name.rsplit("/", 1)[-1] != name  # the upload's own name is not kept
    # and its reporter sees it, another member does not
    url = f"/incidents/{photo.incident_id}/photos/{photo.pk}/"
    assert member_client.get(url).status_code == 200
    assert client_for(MemberFactory().owner).get(url).status_code == 404


def _png(size: tuple[int, int], mode: str = "1") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, format="PNG")
    return out.getvalue()


REFUSED = [
    ("bomb.png", lambda: _png((20_000, 20_000)), "at most 40 megapixels"),
    ("wide.png", lambda: _png((8_000, 6_000)), "too many pixels"),
    ("long.png", lambda: _png((13_000, 10)), "too many pixels"),
    ("big.jpg", lambda: b"\xff\xd8\xff" + b"\0" * (10 * 1024 * 1024 + 1), "at most 10 MB"),
    ("anim.gif", lambda: _gif(), "JPEG, PNG or WebP"),
    ("page.jpg", lambda: b"<svg xmlns='http://www.w3.org/2000/svg'/>", "JPEG, PNG or WebP"),
    ("cut.jpg", lambda: _noise_jpeg()[:6000], "could not be read"),
    ("empty.png", lambda: b"", "empty"),
]


def _noise_jpeg() -> bytes:
    out = io.BytesIO()
    Image.frombytes("RGB", (300, 300), bytes(range(256)) * 1055).save(out, format="JPEG")
    return out.getvalue()


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (10, 10)).save(out, format="GIF")
    return out.getvalue()


@pytest.mark.parametrize(("name", "content", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_a_bad_photo_is_refused_with_a_clear_error_and_nothing_stored(
    member_client, store, media_root, name, content, message
):
    upload = SimpleUploadedFile(name, content())
    response = member_client.post("/report/", {**report_form(), "photos": [upload]})
    assert response.status_code == 400
    assert message in response.text
    assert not Incident.objects.exists()
    assert not EvidencePhoto.objects.exists()
    assert not list(media_root.glob("**/*.*"))


def test_more_than_six_photos_are_refused(member_client, store):
    photos = [SimpleUploadedFile(f"p{n}.jpg", photo_with_gps()) for n in range(7)]
    response = member_client.post("/report/", {**report_form(), "photos": photos})
    assert response.status_code == 400
    assert "Send at most 6 photos." in response.text
    assert not Incident.objects.exists()
