package dev.emporium.messaging;

import java.util.List;
import java.util.Set;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.extensions.Extension;
import io.swagger.v3.oas.annotations.extensions.ExtensionProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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
 * Administrators only: each service's security configuration says so, and the {@code x-access}
 * extension tells its OpenAPI document (this library does not see the services' {@code @Access}).
 */
@RestController
@Tag(name = "Dead letters", description = "Messages the listeners gave up on, and replaying them")
@RequestMapping("${emporium.messaging.dead-letters.path:/api/dead-letters}")
class DeadLetterController {

    private final DeadLetters deadLetters;

    DeadLetterController(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @Schema(description = "This service's dead-letter topics and what is in them")
    record Listing(@Schema(description = "The dead-letter topics of the topics this service consumes", requiredMode = Schema.RequiredMode.REQUIRED) Set<String> topics,
            @Schema(description = "Every record in them, oldest first", requiredMode = Schema.RequiredMode.REQUIRED) List<DeadLetters.DeadLetter> records) {
    }

    /** Every record in this service's dead-letter topics, oldest first, with why it failed. */
    @GetMapping
    @Operation(operationId = "listDeadLetters", summary = "The dead-letter topics and their records",
            extensions = @Extension(name = "x-access", properties = @ExtensionProperty(name = "level", value = "ADMINISTRATOR")))
    @ApiResponse(responseCode = "200", description = "The dead-letter topics and their records")
    Listing list() {
        return new Listing(deadLetters.topics(), deadLetters.list());
    }

    /**
     * Sends a dead letter to be processed again once its cause is fixed: to the topic it came from, or for
     * a topic another service owns to this service's {@code <topic>.replay} (its {@code replayTopic}).
     */
    @PostMapping("/{id}/replay")
    @Operation(operationId = "replayDeadLetter", summary = "Send a dead letter to be processed again",
            extensions = @Extension(name = "x-access", properties = @ExtensionProperty(name = "level", value = "ADMINISTRATOR")))
    @ApiResponse(responseCode = "202", description = "Sent to its `replayTopic`; the listener will process it again")
    @ApiResponse(responseCode = "400", description = "Not a dead-letter id (<dead-letter topic>-<partition>-<offset>)")
    @ApiResponse(responseCode = "404", description = "No dead letter of this service has this id")
    ResponseEntity<DeadLetters.DeadLetter> replay(@io.swagger.v3.oas.annotations.Parameter(description = "As listed:"
            + " `<dead-letter topic>-<partition>-<offset>`", example = "inventory-commands.DLT-0-3",
            schema = @Schema(pattern = DeadLetters.ID_PATTERN)) @PathVariable String id) {
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
