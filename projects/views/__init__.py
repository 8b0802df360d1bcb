"""Project pages by noun: projects, claims, work items (assistance, leads, visits), reports."""
