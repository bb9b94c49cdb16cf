"""``ivp data …`` on the command line (same services as the web)."""

import json

import pytest

from ivp.cli.main import main
from ivp.datasets.models import Observation
from ivp.datasets.services import cbs_client
from ivp.datasets.tests.helpers import offline_transport

pytestmark = pytest.mark.django_db

GOOD = "regio;periode;indicator;waarde\nGM0796;2017;E35 Melding overlast jeugd;912\n"


def test_import_dry_run_then_store(bundle, tmp_path, capsys):
    path = tmp_path / "jeugd.csv"
    path.write_text(GOOD)
    count = Observation.objects.count()
    assert main(["data", "import", str(path), "--dry-run", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["status"] == "voorbeeld" and report["nieuw"] == 1
    assert Observation.objects.count() == count
    assert main(["data", "import", str(path)]) == 0
    assert "1 nieuw" in capsys.readouterr().out
    assert main(["data", "import", str(path)]) == 0
    assert "0 nieuw, 0 gewijzigd, 1 ongewijzigd" in capsys.readouterr().out
    assert Observation.objects.count() == count + 1


def test_import_bad_row_exit_code_and_message(bundle, tmp_path, capsys):
    path = tmp_path / "jeugd.csv"
    path.write_text(GOOD + "GM0796;2018;E35 Melding overlast jeugd;?!\n")
    assert main(["data", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "niets opgeslagen" in err and "regel 3, kolom ‘waarde’" in err


def test_mapping_and_list(bundle, capsys):
    assert main(["data", "mapping", "--json"]) == 0
    mapping = json.loads(capsys.readouterr().out)
    assert {"code": "2.5.2", "themas": ["2.1"]}.items() <= next(
        r for r in mapping["indeling"] if r["code"] == "2.5.2"
    ).items()
    assert main(["data", "list"]) == 0
    assert "47018NED" in capsys.readouterr().out


def test_fetch_offline(monkeypatch, capsys):
    real = cbs_client.CbsClient
    monkeypatch.setattr(
        cbs_client, "CbsClient", lambda **kw: real(transport=offline_transport(), retries=0)
    )
    assert main(["data", "fetch", "--municipality", "GM0597"]) == 1
    assert "Geen verbinding met de open-data-API van het CBS" in capsys.readouterr().err
    assert main(["data", "fetch"]) == 2
