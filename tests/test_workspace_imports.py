"""The workspace's import pages: upload → preview (a dry run with every problem by row and column) → import the
valid rows, with the rejects file; the SHA-256 check; wrong files; who may do what."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from attain.apps.catalog.models import Account
from attain.apps.imports.models import ImportRun
from attain.apps.org import roles
from attain.apps.workspace import imports_uploads
from tests import factories as f

pytestmark = pytest.mark.django_db

# rows 2 and 3 are valid and new; row 4 has a segment that is not one of the choices; row 5 has no name and a
# number of employees that is not a whole number: 4 rows read, 2 new, 2 invalid, 3 problems
ACCOUNTS = ("external_id,name,country,segment,employees\n"
            "N-1,Northwind,US,smb,50\n"
            "N-2,Contoso,DE,enterprise,1200\n"
            "N-3,Fabrikam,US,huge,5\n"
            "N-4,,US,smb,many\n")


@pytest.fixture
def admin(client):
    user = f.user("compadmin", roles.COMP_ADMIN)
    client.force_login(user)
    return user


def upload(client, text: str | bytes, name: str = "accounts.csv", entity: str = "accounts"):
    content = text.encode() if isinstance(text, str) else text
    return client.post("/workspace/imports/", {"entity": entity, "file": SimpleUploadedFile(name, content)})


def test_the_preview_counts_the_rows_and_names_every_problem_by_row_and_column(client, admin, django_assert_max_num_queries):
    made = upload(client, ACCOUNTS)
    assert made.status_code == 302 and made["Location"].startswith("/workspace/imports/")
    assert not Account.objects.filter(external_id__startswith="N-").exists()  # a preview writes nothing
    with django_assert_max_num_queries(8):
        page = client.get(made["Location"])
    html = page.content.decode()
    found = page.context["found"]
    assert (found["rows_read"], found["created"], found["updated"], found["unchanged"], found["rejected"]) == (4, 2, 0, 0, 2)
    assert [(p["row"], p["column"]) for p in found["problems"]] == [(4, "segment"), (5, "name"), (5, "employees")]
    assert 'data-problem-row="4"' in html and "Import the 2 valid rows and reject 2" in html
    assert [number for number, _ in page.context["rows"]] == [2, 3, 4, 5] and page.context["flagged"] == {4, 5}
    assert ImportRun.objects.get().status == ImportRun.Status.REJECTED  # the dry run is in the list of imports


def test_importing_the_valid_rows_rejects_the_others_into_a_file_to_download(client, admin):
    preview = upload(client, ACCOUNTS)["Location"]
    token = preview.rstrip("/").rsplit("/", 1)[1]
    sha = client.get(preview).context["upload"].meta["sha256"]
    done = client.post(f"{preview}confirm/", {"sha256": sha, "skip_invalid": "1", "reason": "March CRM export"})
    assert done["Location"] == preview
    assert sorted(Account.objects.filter(external_id__startswith="N-").values_list("external_id", flat=True)) == [
        "N-1", "N-2"]
    page = client.get(preview)
    assert page.context["imported"]["created"] == 2 and page.context["imported"]["rejected"] == 2
    assert "Download the 2 rejected rows with their reasons" in page.content.decode()
    rejects = client.get(f"/workspace/imports/{token}/rejects.csv")
    rows = list(csv.reader(io.StringIO(b"".join(rejects.streaming_content).decode())))
    assert rows[0][-1] == "reason" and [r[0] for r in rows[1:]] == ["N-3", "N-4"]
    assert rows[1][-1].startswith("segment: ")
    runs = list(ImportRun.objects.order_by("pk").values_list("status", "rows_created", "rows_rejected", "user__username"))
    assert runs == [("rejected", 2, 2, "compadmin"), ("partial", 2, 2, "compadmin")]
    again = client.post(f"{preview}confirm/", {"sha256": sha, "skip_invalid": "1"}, follow=True)
    assert "was imported already" in again.content.decode() and ImportRun.objects.count() == 2


def test_a_valid_file_imports_all_its_rows_and_a_second_upload_finds_them_unchanged_or_changed(client, admin):
    valid = "external_id,name,country\nN-1,Northwind,US\nN-2,Contoso,DE\n"
    preview = upload(client, valid)["Location"]
    assert "Import 2 rows" in client.get(preview).content.decode()
    sha = client.get(preview).context["upload"].meta["sha256"]
    client.post(f"{preview}confirm/", {"sha256": sha})
    assert client.get(preview).context["imported"]["created"] == 2
    renamed = "external_id,name,country\nN-1,Northwind Traders,US\nN-2,Contoso,DE\n"
    found = client.get(upload(client, renamed)["Location"]).context["found"]
    assert (found["created"], found["updated"], found["unchanged"], found["rejected"]) == (0, 1, 1, 0)


def test_the_file_imported_must_be_the_file_previewed(client, admin):
    preview = upload(client, ACCOUNTS)["Location"]
    kept = client.get(preview).context["upload"]
    kept.path.write_text(ACCOUNTS.replace("Northwind", "Evil"))  # changed on the server after its preview
    refused = client.post(f"{preview}confirm/", {"sha256": kept.meta["sha256"], "skip_invalid": "1"}, follow=True)
    assert "is not the file that was previewed (its SHA-256 differs)" in refused.content.decode()
    kept.path.write_text(ACCOUNTS)
    forged = client.post(f"{preview}confirm/", {"sha256": "0" * 64, "skip_invalid": "1"}, follow=True)
    assert "is not the file that was previewed" in forged.content.decode()
    assert not Account.objects.filter(external_id__startswith="N-").exists()


def test_wrong_files_are_refused_with_the_reason(client, admin, settings):
    pdf = upload(client, b"%PDF-1.4", name="export.pdf")
    assert pdf.status_code == 200
    assert "Not previewed: export.pdf is not a file the importer reads: choose a .csv file" in pdf.content.decode()
    unknown = upload(client, ACCOUNTS, entity="unicorns")
    assert "choose what the file holds (the entity) from the list" in unknown.content.decode()
    binary = client.get(upload(client, b"\x00\x01\x02\xff" * 50)["Location"])
    assert "The file could not be read:" in binary.content.decode() and binary.context["found"]["status"] == "failed"
    settings.ATTAIN_IMPORT_MAX_MB = 0
    big = upload(client, ACCOUNTS)
    assert "more than the 0 MB the page takes: split it, or import it with `attain import accounts FILE`" in (
        big.content.decode().replace("&#x27;", "'").replace("&quot;", '"'))


def test_an_upload_is_only_its_uploaders(client, admin):
    preview = upload(client, ACCOUNTS)["Location"]
    client.force_login(f.user("other-admin", roles.COMP_ADMIN))
    assert client.get(preview).status_code == 404
    assert client.get("/workspace/imports/not-a-token/").status_code == 404


@pytest.mark.parametrize("role, reads, writes", [(roles.REP, 403, 403), (roles.MANAGER, 403, 403),
                                                 (roles.FINANCE, 200, 403), (roles.ADMINISTRATOR, 200, 302)])
def test_who_may_import(client, role, reads, writes):
    client.force_login(f.user("someone", role))
    assert client.get("/workspace/imports/").status_code == reads
    assert upload(client, ACCOUNTS).status_code == writes


def test_uploads_are_kept_in_the_var_folder_not_the_session(client, admin, settings):
    preview = upload(client, ACCOUNTS)["Location"]
    kept = client.get(preview).context["upload"]
    assert kept.folder.parent == imports_uploads.uploads_folder() and kept.path.read_text() == ACCOUNTS
    assert str(settings.VAR_DIR) in str(kept.folder)
    assert not any("accounts" in str(v) for v in client.session.values())


def test_many_problems_are_shown_fifty_a_page_and_the_imports_are_listed(client, admin):
    # 60 rows, each with a segment that is not a choice: 60 problems, rows 2 to 61; pages of 50 and 10
    many = "external_id,name,country,segment\n" + "".join(f"N-{n},Name {n},US,huge\n" for n in range(60))
    preview = upload(client, many, name="many.csv")["Location"]
    first, second = client.get(preview).context["problems"], client.get(f"{preview}?page=2").context["problems"]
    assert (len(first.object_list), len(second.object_list)) == (50, 10)
    assert (first.object_list[0]["row"], second.object_list[-1]["row"]) == (2, 61)
    listed = client.get("/workspace/imports/").content.decode()
    assert "many.csv" in listed and "compadmin" in listed and "Rejected (nothing written)" in listed
