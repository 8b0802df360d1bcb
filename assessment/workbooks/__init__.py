"""The SPEC §6 workbooks: template, cells, import (validate, apply), ranking and year export."""
