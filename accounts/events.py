"""What accounts announces. Accounts imports no other app: the apps that hold a person's data
listen, and erase what they keep of them in the closing transaction."""

from django.dispatch import Signal

# sender=User, user=<User>: the account is being closed; its personal data must go, except
# what the retention rule keeps (README, "Closing an account").
account_closed = Signal()
