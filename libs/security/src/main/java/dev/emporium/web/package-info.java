/** Error answers shared by every servlet service: RFC 9457 problem details that say what was wrong. */
package dev.emporium.web;
