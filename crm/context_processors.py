from crm.navigation import menu_for
from crm.notifications import unread_count


def navigation(request):
    """The role's menu and the unread-notification count (one COUNT query) for the navigation bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_menu": []}
    return {
        "nav_menu": menu_for(user, request.path),
        "user_role_label": user.get_role_display(),
        "unread_notifications": unread_count(user),
    }
