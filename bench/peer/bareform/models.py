import secrets

from django.db import models

REGIONS = [(code, name) for code, name in enumerate(["Aceh", "Bali", "Banten", "Jambi", "Papua", "Riau"], start=1)]


def new_key() -> str:
    return secrets.token_hex(8)


class Submission(models.Model):
    """Six fields from a citizen, a lookup key and the time: the least a complaint form stores."""

    name = models.CharField(max_length=100)
    email = models.EmailField()
    phone = models.CharField(max_length=30)
    region = models.PositiveSmallIntegerField(choices=REGIONS)
    subject = models.CharField(max_length=200)
    description = models.TextField(max_length=5000)
    key = models.CharField(max_length=16, default=new_key)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.subject
