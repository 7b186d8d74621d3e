package fr.passerelle.core.store;

import java.util.List;

/**
 * One page of a recipient's inbox.
 *
 * @param items in cursor order
 * @param next  the cursor to pass as {@code after} for the following page: the last item's cursor, or the
 *              {@code after} of this request when the page is empty
 */
public record InboxPage(List<InboxItem> items, long next) {

    public InboxPage {
        items = List.copyOf(items);
    }
}
