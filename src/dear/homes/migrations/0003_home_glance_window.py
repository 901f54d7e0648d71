from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("homes", "0002_place_kind"),
    ]

    operations = [
        migrations.AddField(
            model_name="home",
            name="glance_window_minutes",
            field=models.PositiveIntegerField(default=60),
        ),
    ]
