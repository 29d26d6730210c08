"""Naming a fragment's page and merging pages into one spec: deterministic, and strict about conflicts."""

from __future__ import annotations

import copy
import itertools
import re

import pytest

from d360.spec.pages import Page, PageError, merge, page_name, tag_slug
from tests.spec_pages import block_users_page, health_page
from tests.spec_versions import vendored_spec


@pytest.mark.parametrize(
    ("tag", "slug"),
    [("Messages", "messages"), ("Block Users", "block-users"), ("Media Uploads", "media-uploads"),
     ("Conversational Components", "conversational-components"), ("../../etc", "etc")],
)  # fmt: skip
def test_a_tag_names_its_page_as_upstream_does(tag: str, slug: str) -> None:
    assert tag_slug(tag) == slug


def test_a_fragment_without_top_level_tags_is_named_by_its_operations_tag() -> None:
    page = block_users_page()
    del page["tags"]
    assert page_name(page) == "block-users"
    assert page_name(vendored_spec()) == "messages"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda page: page.update(tags=[]), "names 0 (none)"),
        (lambda page: page.update(tags=[{"name": "A"}, {"name": "B"}]), "names 2 ('A', 'B')"),
        (lambda page: page.update(tags=[{"name": "***"}]), "its tag '***' makes no file name"),
    ],
)
def test_a_fragment_that_is_not_one_page_is_refused(change: object, expected: str) -> None:
    page = block_users_page()
    del page["paths"]
    change(page)  # type: ignore[operator]
    with pytest.raises(PageError, match=re.escape(expected)):
        page_name(page, origin="page.json")


def pages() -> list[Page]:
    return [Page("messages", vendored_spec()), Page("block-users", block_users_page()), Page("health", health_page())]


def test_pages_merge_into_one_spec_with_their_shared_parts_once() -> None:
    merged = merge(pages())
    spec = merged.spec
    assert set(spec["paths"]) == {"/messages", "/block_users", "/health_status"}
    assert [tag["name"] for tag in spec["tags"]] == ["Block Users", "Health", "Messages"]
    assert spec["servers"] == vendored_spec()["servers"]
    assert (
        "utils.ErrorResp" in spec["components"]["schemas"]
        and "health_status.HealthStatusResponse" in spec["components"]["schemas"]
    )
    assert merged.version == "1.44.0" and merged.version_note() is None
    assert [page.name for page in merged.pages] == ["block-users", "health", "messages"]


def test_the_merge_does_not_depend_on_the_order_of_the_pages() -> None:
    results = [merge(order).spec for order in itertools.permutations(pages())]
    assert all(result == results[0] for result in results)
    assert [list(result["tags"]) for result in results[1:]] == [results[0]["tags"]] * (len(results) - 1)


def test_the_merge_leaves_its_pages_as_they_were() -> None:
    given = pages()
    before = copy.deepcopy([page.spec for page in given])
    merge(given)
    assert [page.spec for page in given] == before


def test_the_highest_version_stands_for_the_whole_and_the_difference_is_noted() -> None:
    merged = merge([Page("messages", vendored_spec()), Page("health", health_page("1.45.2")),
                    Page("block-users", block_users_page("1.9.0"))])  # fmt: skip
    assert merged.version == "1.45.2"  # compared as numbers: 1.9.0 is older than 1.44.0
    assert merged.version_note() == (
        "The pages differ in version: block-users.json 1.9.0, health.json 1.45.2, messages.json 1.44.0; "
        "the merged spec says 1.45.2."
    )


def test_the_same_component_defined_twice_alike_is_fine_and_differently_is_refused() -> None:
    health = health_page()
    health["components"]["schemas"]["utils.ErrorResp"]["properties"] = {"error": {"type": "integer"}}
    with pytest.raises(PageError) as caught:
        merge([Page("messages", vendored_spec()), Page("health", health)])
    assert str(caught.value) == (
        "health.json and messages.json define components['schemas']['utils.ErrorResp'] differently: one page must "
        "say it, or both the same"
    )


def test_two_pages_may_share_a_path_with_different_operations() -> None:
    health = health_page()
    health["paths"]["/block_users"] = {"delete": {"operationId": "unblock-users", "tags": ["Health"],
                                                  "responses": {"200": {"description": "ok"}}}}  # fmt: skip
    spec = merge([Page("block-users", block_users_page()), Page("health", health)]).spec
    assert set(spec["paths"]["/block_users"]) == {"get", "post", "delete"}


def test_a_tag_described_differently_by_two_pages_is_refused() -> None:
    health = health_page()
    health["tags"] = [{"name": "Block Users", "description": "something else"}]
    with pytest.raises(PageError, match=r"define tags\['Block Users'\] differently"):
        merge([Page("block-users", block_users_page()), Page("health", health)])


def test_one_page_twice_is_refused() -> None:
    with pytest.raises(PageError, match="two sources are both the 'health' page"):
        merge([Page("health", health_page()), Page("health", health_page("1.45.0"))])
