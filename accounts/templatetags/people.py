from django import template

from accounts.names import display_name as display_name_of

register = template.Library()


@register.filter
def display_name(user):
    """`{{ user|display_name }}`: the one naming rule of accounts.names, in templates."""
    return display_name_of(user)
