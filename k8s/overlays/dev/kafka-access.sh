#!/bin/sh
# The services' Kafka principals and their ACLs: each service may write only the topics it produces and
# read only what it consumes (the broker's StandardAuthorizer refuses everything else). Run once the
# broker answers, as its super user, by docker-compose.yml's kafka-access service and the dev overlay's
# kafka-access Job; safe to run again. The acl lines are KafkaAccess.commands() (libs/local-kafka), the
# table the local run applies itself; KafkaAccessScriptTest keeps them equal.
# Needs: BOOTSTRAP, KAFKA_ADMIN_PASSWORD, KAFKA_PASSWORD_ORDER_SERVICE, _INVENTORY_SERVICE, _USER_SERVICE.
set -eu
bin=/opt/kafka/bin
config=/tmp/kafka-admin.properties
cat > "$config" <<PROPERTIES
security.protocol=SASL_PLAINTEXT
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="$KAFKA_ADMIN_PASSWORD";
PROPERTIES

for service in order-service inventory-service user-service; do
  variable="KAFKA_PASSWORD_$(echo "$service" | tr 'a-z-' 'A-Z_')"
  password=$(printenv "$variable") || { echo "$variable is not set" >&2; exit 1; }
  "$bin/kafka-configs.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$config" --alter \
    --entity-type users --entity-name "$service" --add-config "SCRAM-SHA-256=[iterations=8192,password=$password]"
done

acl() {
  "$bin/kafka-acls.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$config" "$@"
}
acl --add --allow-principal User:order-service --operation Create --operation Describe --operation DescribeConfigs --operation Read --operation Write --topic order-saga-replies
acl --add --allow-principal User:order-service --operation Create --operation Describe --operation DescribeConfigs --operation Write --topic order-events
acl --add --allow-principal User:order-service --operation Create --operation Describe --operation DescribeConfigs --operation Read --operation Write --topic inventory-prices.replay
acl --add --allow-principal User:order-service --operation Create --operation Describe --operation DescribeConfigs --operation Read --operation Write --topic order-saga-replies.DLT
acl --add --allow-principal User:order-service --operation Create --operation Describe --operation DescribeConfigs --operation Read --operation Write --topic inventory-prices.DLT
acl --add --allow-principal User:order-service --operation Read --operation Describe --topic inventory-prices
acl --add --allow-principal User:order-service --operation Write --operation Describe --topic inventory-commands
acl --add --allow-principal User:order-service --operation Write --operation Describe --topic user-commands
acl --add --allow-principal User:order-service --operation Read --group order-service
acl --add --allow-principal User:order-service --operation IdempotentWrite --cluster
acl --add --allow-principal User:inventory-service --operation Create --operation Describe --operation DescribeConfigs --operation Read --operation Write --topic inventory-commands
acl --add --allow-principal User:inventory-service --operation Create --operation Describe --operation DescribeConfigs --operation Write --topic inventory-events
acl --add --allow-principal User:inventory-service --operation Create --operation Describe --operation DescribeConfigs --operation Write --topic inventory-prices
acl --add --allow-principal User:inventory-service --operation Create --operation Describe --operation DescribeConfigs --operation Read --operation Write --topic inventory-commands.DLT
acl --add --allow-principal User:inventory-service --operation Write --operation Describe --topic order-saga-replies
acl --add --allow-principal User:inventory-service --operation Read --group inventory-service
acl --add --allow-principal User:inventory-service --operation IdempotentWrite --cluster
acl --add --allow-principal User:user-service --operation Create --operation Describe --operation DescribeConfigs --operation Read --operation Write --topic user-commands
acl --add --allow-principal User:user-service --operation Create --operation Describe --operation DescribeConfigs --operation Read --operation Write --topic user-commands.DLT
acl --add --allow-principal User:user-service --operation Write --operation Describe --topic order-saga-replies
acl --add --allow-principal User:user-service --operation Read --group user-service
acl --add --allow-principal User:user-service --operation IdempotentWrite --cluster
echo "kafka-access: credentials and ACLs of order-service, inventory-service and user-service are in place"
