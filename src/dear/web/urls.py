from django.urls import path

from dear.web.views import account, auth, boxes, homes, letters, welcome, write

app_name = "web"

urlpatterns = [
    path("", welcome.index, name="home"),
    path("welcome", welcome.welcome, name="welcome"),
    path("login", auth.login, name="login"),
    path("logout", auth.logout, name="logout"),
    path("settings", account.settings_page, name="settings"),
    path("settings/profile", account.profile, name="profile"),
    path("settings/password", account.password, name="password"),
    path("settings/tokens", account.create_token, name="create_token"),
    path("settings/tokens/<uuid:token_id>/revoke", account.revoke_token, name="revoke_token"),
    path("homes", homes.create_home, name="create_home"),
    path("homes/<uuid:home_id>/invites", homes.create_invite, name="create_invite"),
    path("invite/<str:code>", homes.invite, name="invite"),
    path("write", write.write, name="write"),
    path("letters/<uuid:letter_id>", letters.letter, name="letter"),
    path("letters/<uuid:letter_id>/edit", write.edit, name="edit"),
    path("letters/<uuid:letter_id>/save", write.save, name="save"),
    path("letters/<uuid:letter_id>/crumple", write.crumple, name="crumple"),
    path("letters/<uuid:letter_id>/keep", write.keep, name="keep"),
    path("letters/<uuid:letter_id>/discard", write.discard, name="discard"),
    path("letters/<uuid:letter_id>/send", write.send, name="send"),
    path("letters/<uuid:letter_id>/reply", write.reply, name="reply"),
    path("letters/<uuid:letter_id>/withdraw", letters.withdraw, name="withdraw"),
    path("letters/<uuid:letter_id>/restore", letters.restore, name="restore"),
    path("letters/<uuid:letter_id>/revisions", letters.revisions, name="revisions"),
    path(
        "letters/<uuid:letter_id>/revisions/<int:number>/restore",
        letters.restore_revision,
        name="restore_revision",
    ),
    path("inbox", boxes.inbox, name="inbox"),
    path("sent", boxes.sent, name="sent"),
    path("drafts", boxes.drafts, name="drafts"),
    path("drawer", boxes.drawer, name="drawer"),
    path("basket", boxes.basket, name="basket"),
    path("basket/empty", boxes.empty_basket, name="empty_basket"),
    path("with/<uuid:person_id>", boxes.correspondence, name="correspondence"),
]
