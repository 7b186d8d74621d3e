/**
 * Encryption at rest: {@link fr.passerelle.core.keys.MasterKeys} is the ring of master keys read from the key
 * file (never from the database), {@link fr.passerelle.core.keys.PayloadCipher} encrypts each stored payload
 * under its own AES-256-GCM data key bound to its row and wraps that key under the current master key of its
 * domain's family (victim support, police-justice: one key file each), and
 * {@link fr.passerelle.core.keys.KeyRotation} re-wraps the stored data keys under the new master key of their own
 * family, in short batches beside live traffic, so that old master keys can be retired without downtime.
 */
package fr.passerelle.core.keys;
