"""Project pages by noun: projects, claims, assistance, leads, visits, monthly reports, alerts."""
