package dev.emporium.messaging;

import java.util.List;
import java.util.Set;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The operator's view of this service's dead-letter topics, under the service's own path
 * ({@code emporium.messaging.dead-letters.path}, e.g. {@code /api/inventory/dead-letters}).
 * Admin-only once the identity issue puts role checks in front of it.
 */
@RestController
@RequestMapping("${emporium.messaging.dead-letters.path:/api/dead-letters}")
class DeadLetterController {

    private final DeadLetters deadLetters;

    DeadLetterController(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    record Listing(Set<String> topics, List<DeadLetters.DeadLetter> records) {
    }

    @GetMapping
    Listing list() {
        return new Listing(deadLetters.topics(), deadLetters.list());
    }

    @PostMapping("/{id}/replay")
    ResponseEntity<DeadLetters.DeadLetter> replay(@PathVariable String id) {
        try {
            return deadLetters.replay(id)
                .map(replayed -> ResponseEntity.accepted().body(replayed))
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No dead letter has the id " + id));
        }
        catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }
}
