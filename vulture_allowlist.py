"""Names vulture cannot see being used, so `make lint` does not call them dead code. Made with
`vulture --make-whitelist` and read line by line; each is one of:
- called by a framework: Flask (create_app, app and login-manager settings, g attributes read by other
  hooks, signal handler arguments), Flask-Login (get_id, is_anonymous), Jinja (attributes of the objects
  pages render: labels, counts, chart sizes), WTForms (form fields read by templates), SQLAlchemy (model
  columns written for the record and read by people querying the database, type_annotation_map), logging
  (LogRecord.msg); gunicorn (gunicorn.conf.py, which vulture does not read, calls settle_after_start);
- used only by the tests through the package's public interface (notifications: run_in_threads,
  SandboxState.wait_idle; data: updates_for_victim);
- Settings fields, read from app.config by name.
A name that is really unused is deleted, not added here.
"""

# ruff: noqa
_.wait_idle  # unused method (notifications/sandbox/state.py:270)
run_in_threads  # unused function (notifications/worker.py:313)
create_app  # unused function (portal/__init__.py:17)
settle_after_start  # unused function (portal/web/garbage_collection.py:28)
_.jinja_loader  # unused attribute (portal/__init__.py:33)
_.trim_blocks  # unused attribute (portal/__init__.py:40)
_.lstrip_blocks  # unused attribute (portal/__init__.py:41)
_.api_verb  # unused attribute (portal/api/routes.py:59)
_.api_detail  # unused attribute (portal/api/routes.py:66)
_.api_detail  # unused attribute (portal/api/routes.py:159)
_.api_victim_id  # unused attribute (portal/api/routes.py:170)
_.api_detail  # unused attribute (portal/api/routes.py:171)
_.api_detail  # unused attribute (portal/api/routes.py:182)
_.api_victim_id  # unused attribute (portal/api/routes.py:192)
_.api_detail  # unused attribute (portal/api/routes.py:193)
_.api_detail  # unused attribute (portal/api/routes.py:202)
DIALECT  # unused variable (portal/api/schemas.py:21)
confirm  # unused variable (portal/auth/forms.py:83)
SECRET_KEY  # unused variable (portal/config.py:58)
DATABASE_URL  # unused variable (portal/config.py:61)
NOTIFY_API_KEY  # unused variable (portal/config.py:64)
NOTIFY_CALLBACK_TOKEN  # unused variable (portal/config.py:68)
NOTIFY_EMAIL_TEMPLATE_ID  # unused variable (portal/config.py:73)
NOTIFY_SMS_TEMPLATE_ID  # unused variable (portal/config.py:76)
NOTIFY_LETTER_TEMPLATE_ID  # unused variable (portal/config.py:79)
NOTIFY_INTERNATIONAL_SMS  # unused variable (portal/config.py:85)
NOTIFY_INTERNATIONAL_LETTERS  # unused variable (portal/config.py:88)
PORTAL_BASE_URL  # unused variable (portal/config.py:91)
REDIS_URL  # unused variable (portal/config.py:94)
API_RATE_LIMIT  # unused variable (portal/config.py:96)
METRICS_TOKEN  # unused variable (portal/config.py:98)
DEMO_PASSWORD  # unused variable (portal/config.py:99)
DEMO_TOTP_SECRET  # unused variable (portal/config.py:100)
SECURE_COOKIES  # unused variable (portal/config.py:104)
MAX_CONTENT_LENGTH  # unused variable (portal/config.py:109)
CODE_TIMESCALE_OVERRIDES  # unused variable (portal/config.py:112)
TESTING  # unused variable (portal/config.py:115)
updates_for_victim  # unused function (portal/data/updates.py:40)
_close_session  # unused function (portal/database.py:52)
exc  # unused variable (portal/database.py:53)
_._db_session  # unused attribute (portal/database.py:76)
_.template_class  # unused attribute (portal/jinja_templates.py:35)
_.metrics_started  # unused attribute (portal/metrics.py:53)
type_annotation_map  # unused variable (portal/models/base.py:46)
closed_at  # unused variable (portal/models/cases.py:27)
unusable_reason  # unused variable (portal/models/contact_points.py:29)
granted_by_user_id  # unused variable (portal/models/delegations.py:46)
declined_by_user_id  # unused variable (portal/models/delegations.py:54)
revoked_by_user_id  # unused variable (portal/models/delegations.py:57)
revoked_by_label  # unused variable (portal/models/delegations.py:58)
stepped_back_by_user_id  # unused variable (portal/models/delegations.py:61)
suspended_by_user_id  # unused variable (portal/models/delegations.py:65)
sent_count  # unused variable (portal/models/invitations.py:41)
last_sent_at  # unused variable (portal/models/invitations.py:42)
anonymised_at  # unused variable (portal/models/people.py:52)
last_sign_in_at  # unused variable (portal/models/people.py:86)
reviewer_user_id  # unused variable (portal/models/preferences.py:50)
_.last_sent_at  # unused attribute (portal/services/accounts/invitations.py:307)
_.sent_count  # unused attribute (portal/services/accounts/invitations.py:308)
is_anonymous  # unused variable (portal/services/accounts/users.py:31)
_.organisation_name  # unused attribute (portal/services/accounts/users.py:40)
_.get_id  # unused method (portal/services/accounts/users.py:46)
_.last_sign_in_at  # unused attribute (portal/services/accounts/users.py:135)
failed_at  # unused variable (portal/services/cases/delivery_problems.py:27)
status_label  # unused variable (portal/services/cases/officer_views.py:56)
to_support_worker  # unused variable (portal/services/cases/officer_views.py:59)
court_name  # unused variable (portal/services/cases/timeline.py:47)
source_counts  # unused variable (portal/services/cases/timeline.py:63)
selected_source  # unused variable (portal/services/cases/timeline.py:64)
percent  # unused variable (portal/services/cases/timeliness.py:232)
y  # unused variable (portal/services/cases/timeliness.py:234)
CHART_LABEL_WIDTH  # unused variable (portal/services/cases/timeliness.py:238)
_.msg  # unused attribute (portal/services/common/redaction.py:65)
_.msg  # unused attribute (portal/services/common/redaction.py:69)
_.declined_by_user_id  # unused attribute (portal/services/delegation/grants.py:296)
_.stepped_back_by_user_id  # unused attribute (portal/services/delegation/grants.py:311)
_.revoked_by_user_id  # unused attribute (portal/services/delegation/grants.py:324)
_.revoked_by_label  # unused attribute (portal/services/delegation/grants.py:325)
_.suspended_by_user_id  # unused attribute (portal/services/delegation/grants.py:352)
status_label  # unused variable (portal/services/delegation/views.py:42)
status_class  # unused variable (portal/services/delegation/views.py:43)
scope_labels  # unused variable (portal/services/delegation/views.py:45)
staff_scope_labels  # unused variable (portal/services/delegation/views.py:46)
scope_labels  # unused variable (portal/services/delegation/work.py:37)
scope_labels  # unused variable (portal/services/delegation/work.py:45)
for_organisation  # unused variable (portal/services/delegation/work.py:47)
recorded_by_officer  # unused variable (portal/services/delegation/work.py:48)
can_change  # unused variable (portal/services/delegation/work.py:175)
sender  # unused variable (portal/services/messaging/delivery.py:37)
_.unusable_reason  # unused attribute (portal/services/preferences/contact_points.py:205)
_.unusable_reason  # unused attribute (portal/services/preferences/contact_points.py:229)
timezone  # unused variable (portal/services/preferences/records.py:92)
no_safe_channel  # unused variable (portal/services/preferences/reviews.py:58)
changed_by  # unused variable (portal/services/preferences/reviews.py:82)
by  # unused variable (portal/services/preferences/reviews.py:150)
needs_review  # unused variable (portal/services/preferences/reviews.py:163)
last_review  # unused variable (portal/services/preferences/reviews.py:164)
identity_checked  # unused variable (portal/staff/forms.py:139)
rank_sms  # unused variable (portal/staff/preferences_form.py:79)
rank_letter  # unused variable (portal/staff/preferences_form.py:80)
rank_phone  # unused variable (portal/staff/preferences_form.py:81)
_show_changes_made_by_others  # unused function (portal/victim/delegation_routes.py:44)
choice_hints  # unused variable (portal/victim/preferences_step.py:47)
autocomplete  # unused variable (portal/victim/preferences_step.py:52)
_._login_user  # unused attribute (portal/web/errors.py:30)
_.csp_nonce  # unused attribute (portal/web/requests.py:44)
_.redact_values  # unused attribute (portal/web/requests.py:51)
_.login_view  # unused attribute (portal/web/requests.py:56)
_.login_message  # unused attribute (portal/web/requests.py:57)
_.session_protection  # unused attribute (portal/web/requests.py:58)
PORTAL_ENV  # unused variable (portal/config.py: read through Settings)
PROXY_HOPS  # unused variable (portal/config.py: read through Settings)
WEB_CONCURRENCY  # unused variable (portal/config.py: read through Settings)
_.role_label  # unused attribute (portal/services/cases/contacts.py, standing/__init__.py: read by templates)
_.phone_href  # unused property (portal/services/cases/contacts.py: read by templates)
for_victim_only  # unused variable (portal/services/cases/officer_contacts.py: read by templates)
status_since  # unused variable (portal/services/cases/standing/__init__.py: read by templates)
conditions_kind  # unused variable (portal/services/cases/standing/__init__.py: read by templates)
restraining_order  # unused variable (portal/services/cases/standing/__init__.py: read by templates)
link_url  # unused variable (portal/services/cases/entitlements.py: read by templates)
link_text  # unused variable (portal/services/cases/entitlements.py: read by templates)
_.status_hint  # unused property (portal/services/cases/standing/__init__.py: read by templates)
officer_in_case_name  # form fields reached by name (portal/staff/contacts_routes.py)
officer_in_case_phone
officer_in_case_email
officer_in_case_when_to_reach
witness_care_officer_name
witness_care_officer_phone
witness_care_officer_email
witness_care_officer_when_to_reach
victim_liaison_officer_name
victim_liaison_officer_phone
victim_liaison_officer_email
victim_liaison_officer_when_to_reach
_.api_refusal  # unused attribute (portal/api/routes.py: read back with g.get in _audit)
API_REFUSAL_RATE_LIMIT  # unused variable (portal/config.py: read by portal.extensions.api_refusal_limit)
_.process_formdata  # unused method (portal/admin/audit_routes.py: WTForms calls it to read the date input)
_.to_review  # unused variable (portal/services/cases/officer_home.py: read by templates/auth/staff_home.html)
_.urgent_not_told  # unused variable (portal/services/cases/officer_home.py: read by the staff home page)
_.told_late  # unused variable (portal/services/cases/officer_home.py: read by the staff home page)
_.not_delivered  # unused variable (portal/services/cases/officer_home.py: read by the staff home page)
_.requested_by  # unused variable (portal/services/retention/erasure.py: read by templates/admin/erasure/)
_.carried_out_by_user_id  # model columns written by portal/services/retention/erasure.py: the record kept
_.carried_out_by_label
_.cancelled_by_label
RETENTION_CASE_YEARS  # settings read by name (portal/services/retention/schedule.py: PERIODS)
RETENTION_SIGN_IN_CODE_DAYS
RETENTION_TOKEN_DAYS
RETENTION_API_REFUSAL_DAYS
RETENTION_AUDIT_YEARS
RETENTION_COMMUNICATIONS_DAYS
RETENTION_BATCH_SIZE
_.checked_at  # model columns written for the record (portal/models/quality.py: when checked, when rated)
_.rated_at
_.checks_only  # read by templates/staff/quality.html (agreement with officers' reviews)
_.by_element
LOG_FORMAT  # a setting read by name (portal/__init__.py and portal/cli/delivery.py: portal/logs.py's format)
adopt_gunicorn_loggers  # called by gunicorn.conf.py's logger class
_.message_in_english_only  # read by templates/components/timeline_entry.html (an agency sent no Welsh)
SERVICE_OWNER  # settings read by name (portal/auth/information_routes.py: the privacy and accessibility pages)
PRIVACY_CONTACT_EMAIL
ACCESSIBILITY_CONTACT_EMAIL
_.done_by_user_id  # written for the record (portal/services/accessible_formats/tasks.py: who marked it sent)
_.update_title  # read by templates/staff/accessible_formats.html
_.formats_to_send  # read by templates/auth/staff_home.html
_.tag_class  # read by templates/victim/requests/ and templates/staff/_requests_table.html
_.outcome_in_english_only  # read by templates/victim/requests/request.html
_.acknowledged_in_time  # the timeliness report's "Requests" figures, read by templates/staff/timeliness.html
_.acknowledged_late  # the same
_.answered_in_time  # the same
_.answered_late  # the same
_.open_past_target  # the same
_.median_days_to_acknowledge  # the same
_.median_days_to_answer  # the same
_.replied_in_time  # the timeliness report's "Replies to victims' messages" figures (templates/staff/timeliness.html)
_.replied_late  # the same
_.waiting_past_target  # the same
_.closed_without_reply  # the same
_.median_days_to_reply  # the same
REQUEST_TARGETS  # Settings field, read from app.config (portal/config.py)
ONE_LOGIN_CLIENT_ID  # Settings field, read from app.config by one_login.settings (portal/config.py)
ONE_LOGIN_ISSUER  # Settings field, read from app.config by one_login.settings (portal/config.py)
ONE_LOGIN_PRIVATE_KEY_PATH  # Settings field, read from app.config by one_login.settings (portal/config.py)
ONE_LOGIN_VTR  # Settings field, read from app.config by one_login.settings (portal/config.py)
ONE_LOGIN_REDIRECT_URI  # Settings field, read from app.config by one_login.settings (portal/config.py)
ONE_LOGIN_POST_LOGOUT_REDIRECT_URI  # Settings field, read from app.config by one_login.settings (portal/config.py)
HEARING_REMINDER_WORKING_DAYS  # Settings field, read from app.config (portal/cli/reminders.py)
queued_at  # model column written for the record (portal/models/hearing_reminders.py)
PART_HINTS  # read by templates/victim/court_needs/dates.html
_.reviewer  # read by templates/victim/requests/review/*.html
_.asking  # read by templates/victim/requests/review/check.html
_.quote_reference  # read by templates/victim/requests/review/confirmation.html
delay_reason  # WTForms field read by templates/victim/requests/review/delay.html
understood  # WTForms field read by templates/victim/requests/statement/check.html
_allow_a_document  # Flask url_value_preprocessor (portal/victim/statement_routes.py)
_.max_content_length  # read by Werkzeug when the request's form is parsed
_.MAX_IMAGE_PIXELS  # Pillow decompression-bomb limit, read by Pillow (portal/services/secure_messages/attachments.py)
_.phone_confirmed  # read by templates/staff/recorded_contacts/call_list.html
_.safe_times  # read by templates/staff/recorded_contacts/call_list.html
_.method_label  # read by templates/staff/recorded_contacts/record.html
_.update_titles  # read by templates/staff/recorded_contacts/record.html
_.already_told  # read by templates/staff/recorded_contacts/record.html
_.assigned_to  # read by templates/staff/inbox/list.html and thread.html (the officers' inbox)
_.is_note  # read by templates/staff/inbox/thread.html
_.from_victim  # read by templates/staff/inbox/thread.html
_.assigned_to_me  # read by templates/staff/inbox/thread.html
_allow_attachments  # Flask url_value_preprocessor (portal/staff/inbox_routes.py)
_allow_files  # Flask url_value_preprocessor (portal/victim/messages_routes.py, portal/support/messages_routes.py)
_.new_reply  # read by templates/victim/messages/list.html and templates/support/messages/list.html
_.from_victim_side  # read by templates/victim/messages/_messages.html (the victim's and worker's thread pages)
_.to_call  # read by templates/auth/staff_home.html (OfficerWork)
linked_by  # unused variable (portal/services/accounts/one_login_accounts.py: read by templates)
through_invitation  # unused variable (portal/services/accounts/one_login_accounts.py: read by templates)
through_recovery  # unused variable (portal/services/accounts/one_login_accounts.py: read by templates/staff/victim_account.html)
_.domain_instance  # Flask-Babel's Babel.domain_instance, set by portal/jinja_templates.install_gettext (read by Flask-Babel)
_.KEPT_STANDING_CHECKED  # read from app.config by portal/services/cases/timeline.py
