"""The navigation bar's dropdowns: each app's items grouped as their ``menu.py`` says."""

from django.urls import reverse

from org import menu
from org.context_processors import NavGroup, NavItem, _entries


def top_level(response) -> list[str]:
    return [
        entry.key if isinstance(entry, NavGroup) else entry.url_name
        for entry in response.context["nav_entries"]
    ]


def test_it_puts_a_unit_heads_management_pages_in_one_dropdown_where_the_first_would_stand(client, org):
    client.force_login(org.head1)

    response = client.get(reverse("org:people"))

    assert top_level(response)[-1] == "management"
    group = response.context["nav_entries"][-1]
    assert [item.url_name for item in group.items][:2] == ["people", "delegations"]
    assert not {"people", "delegations"} & set(top_level(response))
    assert group.active  # the people page is in it: the dropdown shows the section the user is in
    assert response.content.decode().count('aria-current="page"') == 1


def test_a_staff_member_gets_no_dropdown(client, org):
    client.force_login(org.member1)

    response = client.get(reverse("home"))

    assert not any(isinstance(entry, NavGroup) for entry in response.context["nav_entries"])
    assert "dropdown-toggle" not in response.content.decode().split('data-testid="notifications"')[0]


def test_a_group_with_one_visible_item_is_no_dropdown():
    people = menu.Item("people", "People", "org:people", order=60, group="management")
    home = menu.Item("home", "Home", "home", order=0)
    shown = [home, people]
    items = [NavItem("Home", "/", "home"), NavItem("People", "/org/people/", "people")]

    assert _entries(shown, items, current=None) == items
