/**
 * Deadlines and the notices they raise: {@link fr.passerelle.core.notice.DeadlineWatch} escalates or expires
 * the referrals their deadlines overtake, {@link fr.passerelle.core.notice.Reminders} reminds partners of the
 * protection register's dates, and {@link fr.passerelle.core.notice.NoticeWriter} renders and seals each notice
 * for its partner before it joins the outbox.
 */
package fr.passerelle.core.notice;
