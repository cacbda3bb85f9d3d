"""How passwords are stored: Argon2id at the parameters OWASP recommends as its minimum.

Django's default, PBKDF2-SHA256 with 1,000,000 iterations, costs about a quarter of a CPU-second per
sign-in on the 2-core reference machine, and up to a second under load: at 8 a.m. the sign-in burst of a
province took a third of the servers' time (issue 18's load test). Argon2id with 19 MiB of memory, 2
passes and 1 lane (OWASP Password Storage Cheat Sheet, the first of its equivalent configurations) costs
about 27 ms there and, being memory-hard, resists GPU cracking better than PBKDF2 does at any iteration
count. Passwords stored with PBKDF2 (or Argon2 with other parameters) keep working and are rehashed with
these at the person's next sign-in (Django's ``must_update``).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19_456  # KiB
    parallelism = 1
