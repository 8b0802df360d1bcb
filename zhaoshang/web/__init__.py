"""Shared web plumbing: generic list/detail/edit views, the one export module, xlsx helpers and the
form base with its text guard."""
