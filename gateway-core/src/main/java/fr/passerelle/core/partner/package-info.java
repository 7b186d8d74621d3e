/** Partner identity: ids that carry their kind, and the kinds the instruction names. */
package fr.passerelle.core.partner;
