"""Navigation that fits the user's role, available in every template."""

from units import access


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav": {
            "role": access.role_of(user),
            "role_label": user.get_role_display() if not user.is_superuser else "系统管理员",
            "unit": user.unit,
            "sees_everything": access.sees_everything(user),
            "is_reviewer": access.is_reviewer(user),
            "is_leader": access.is_leader(user),
            "is_unit_user": access.is_unit_user(user),
            "is_admin": access.is_admin(user),
        }
    }
