from django.db import migrations, models

import bareform.models


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name="Submission",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100)),
                ("email", models.EmailField(max_length=254)),
                ("phone", models.CharField(max_length=30)),
                ("region", models.PositiveSmallIntegerField(choices=bareform.models.REGIONS)),
                ("subject", models.CharField(max_length=200)),
                ("description", models.TextField(max_length=5000)),
                ("key", models.CharField(default=bareform.models.new_key, max_length=16)),
                ("created", models.DateTimeField(auto_now_add=True)),
            ],
        ),
    ]
