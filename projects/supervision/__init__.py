"""督办 (issue 18 item 4): issuing, replying to and closing 督办单 (`projects.models.supervision`).

`services` holds who may do what and the writes (each notifies through `notices`), `forms` the
three forms, `views` the list, the detail page with its timeline and the actions; the to-do lines
are in `projects.todo.supervision`, reminders of overdue 督办 in `projects.reminders`.
"""
