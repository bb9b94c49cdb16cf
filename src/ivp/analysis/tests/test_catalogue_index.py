"""The parsed-catalogue cache: the same answers as the YAML, read from disk next time."""

from ivp.analysis import catalogue_index
from ivp.catalogue.content_loader import CONTENT_DIR, shipped_catalogue
from ivp.datasets.mapping import DEFAULT_YAML, default_indeling


def test_source_paths_are_those_of_the_loaders():
    assert catalogue_index.CATALOGUE_DIR == CONTENT_DIR
    assert catalogue_index.MAPPING_YAML == DEFAULT_YAML


def test_index_equals_the_catalogue_and_is_cached(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    fields, themes, aspects = catalogue_index.catalogue_index()
    catalogue = shipped_catalogue()
    assert list(fields) == [v.code for v in catalogue.velden]
    assert (
        themes["5.4"].effectinformatie
        == next(t for t in catalogue.themas if t.code == "5.4").effectinformatie
    )
    assert set(aspects) == {a.code for a in catalogue.aanpakaspecten}
    cached = list((tmp_path / "cache").glob("catalogue-index-*.json"))
    assert len(cached) == 1
    assert catalogue_index.catalogue_index()[0] == fields  # read back from the file


def test_default_mapping_answers_as_the_indeling(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    mapping = catalogue_index.default_mapping()
    indeling = default_indeling()
    assert mapping.per_thema(alleen_hoofdthema=True) == indeling.per_thema(alleen_hoofdthema=True)
    assert mapping.per_thema() == indeling.per_thema()
    for code in ("1.1.1", "3.1.1", "9.9.9"):
        assert mapping.themas_voor(code) == indeling.themas_voor(code)
    assert mapping.themas_voor("", "E35") == indeling.themas_voor("", "E35")
