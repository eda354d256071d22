"""Pages for importing police open data from the browser (analysts and administrators)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from jewelguard.accounts.models import User
from jewelguard.accounts.permissions import user_is_association_staff
from jewelguard.core.errors import ServiceError
from jewelguard.intel import import_runs
from jewelguard.intel.forms_import import ImportForm
from jewelguard.intel.models import ImportRun

# Runs listed under the form.
RECENT_RUNS = 20
# A request body larger than every file and the profile at their limits is refused unread.
MAX_BODY_BYTES = (
    import_runs.MAX_FILES * import_runs.MAX_FILE_BYTES + import_runs.MAX_PROFILE_BYTES + 2**20
)


def _analyst(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user_is_association_staff(user=user):
        raise PermissionDenied
    return user


def _body_bytes(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _upload(file: object) -> import_runs.Upload:
    from django.core.files.uploadedfile import UploadedFile

    assert isinstance(file, UploadedFile)
    return import_runs.Upload(name=file.name or "", size=file.size or 0, file=file)


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    user = _analyst(request)
    if request.method == "POST" and _body_bytes(request) > MAX_BODY_BYTES:
        form = ImportForm(data={})  # bound and cleaned, so that the error can be added
        form.is_valid()
        form.add_error(
            "data_files",
            _("The upload is larger than %(limit)d MiB in all.") % {"limit": MAX_BODY_BYTES >> 20},
        )
        return render(request, "intel/import_start.html", {"form": form, "runs": []}, status=413)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        profile_file = form.cleaned_data["profile_file"]
        try:
            run = import_runs.import_run_start(
                user=user,
                uploads=[_upload(file) for file in form.cleaned_data["data_files"]],
                profile_name=form.cleaned_data["profile"] or "",
                profile_upload=_upload(profile_file) if profile_file else None,
            )
        except ServiceError as error:
            form.add_error(error.field, error.message)
        else:
            return redirect("intel:import_detail", run_id=run.pk)
    runs = ImportRun.objects.select_related("started_by")[:RECENT_RUNS]
    status = 400 if request.method == "POST" else 200
    return render(request, "intel/import_start.html", {"form": form, "runs": runs}, status=status)


def _run(request: HttpRequest, run_id: int) -> ImportRun:
    _analyst(request)
    return get_object_or_404(ImportRun, pk=run_id)


@login_required
@require_GET
def import_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    return render(request, "intel/import_detail.html", {"run": _run(request, run_id)})


@login_required
@require_GET
def import_progress(request: HttpRequest, run_id: int) -> HttpResponse:
    """The progress panel alone, which the page fetches again until the run ends."""
    return render(request, "intel/_import_progress.html", {"run": _run(request, run_id)})


@login_required
@require_GET
def import_rejects(request: HttpRequest, run_id: int) -> FileResponse:
    run = _run(request, run_id)
    if not run.rejects:
        raise Http404("no rejected rows")
    return FileResponse(
        run.rejects.open("rb"),
        as_attachment=True,
        filename=f"import-{run.pk}-rejects.csv",
        content_type="text/csv; charset=utf-8",
    )
