"""The forecast pages its unit cards (issue 21)."""

from django.urls import reverse

from assessment.dashboard import views as dashboard_views


def test_the_forecast_shows_a_page_of_unit_cards_and_a_pager(login, leader, city, monkeypatch):
    """The leader's forecast had a card per unit (issue 21: ~1.4 MB at 500 units): a page of
    cards with a pager; the chart still has every unit."""
    monkeypatch.setattr(dashboard_views, "FORECAST_PER_PAGE", 2)
    url = reverse("dashboard:forecast")
    response = login(leader).get(url, {"year": 2026, "quarter": 2})
    page = response.content.decode()
    assert page.count('data-testid="forecast-unit"') == 2
    assert 'data-testid="pager"' in page and "共 3 条" in page
    assert len(response.context["charts"]["forecast"]["categories"]) == 3
    last = login(leader).get(url, {"year": 2026, "quarter": 2, "page": 2}).content.decode()
    assert last.count('data-testid="forecast-unit"') == 1
