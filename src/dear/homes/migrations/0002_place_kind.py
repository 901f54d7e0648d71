from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("homes", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="place",
            name="kind",
            field=models.CharField(
                choices=[("spot", "A spot"), ("object", "An object")],
                default="spot",
                max_length=8,
            ),
        ),
    ]
