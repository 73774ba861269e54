{{/*
A service's application properties (argument: dict root, key, component): what the chart decides, then the
service's config values over them. Key names are in each service's README.
*/}}
{{- define "meshfleet.serviceProperties" -}}
{{- $v := .root.Values -}}
{{- $createTopics := ternary "true" "false" $v.kafka.createTopics -}}
{{- $p := dict "quarkus.http.port" "8080" -}}
{{- if eq .key "specIntake" -}}
{{- $_ := set $p "meshfleet.intake.create-topics" $createTopics -}}
{{- $_ := set $p "meshfleet.intake.partitions" (toString $v.kafka.partitions) -}}
{{- with $v.specIntake.watchNamespaces -}}
{{- $_ := set $p "meshfleet.intake.namespaces" (join "," .) -}}
{{- end -}}
{{- $w := $v.specIntake.admissionWebhook -}}
{{- $_ := set $p "meshfleet.intake.admission.enabled" (ternary "true" "false" $w.enabled) -}}
{{- if $w.enabled -}}
{{- $_ := set $p "quarkus.http.ssl-port" "8443" -}}
{{- $_ := set $p "quarkus.http.ssl.certificate.files" "/etc/meshfleet/webhook-tls/tls.crt" -}}
{{- $_ := set $p "quarkus.http.ssl.certificate.key-files" "/etc/meshfleet/webhook-tls/tls.key" -}}
{{- $_ := set $p "meshfleet.intake.admission.publish-timeout" (printf "%dms" (div (mul (int $w.timeoutSeconds) 1000) 2)) -}}
{{- with $v.chartSources.default -}}
{{- $_ := set $p "meshfleet.intake.admission.default-chart-source" . -}}
{{- end -}}
{{- with $v.chartSources.allowed -}}
{{- $_ := set $p "meshfleet.intake.admission.allowed-chart-sources" (join "," .) -}}
{{- end -}}
{{- end -}}
{{- else if eq .key "translator" -}}
{{- $_ := set $p "meshfleet.translator.application-id" $v.translator.applicationId -}}
{{- $_ := set $p "meshfleet.translator.state-dir" "/var/lib/meshfleet/streams" -}}
{{- $_ := set $p "meshfleet.translator.group-instance-id" "${POD_NAME}" -}}
{{- $_ := set $p "meshfleet.translator.create-topics" $createTopics -}}
{{- $_ := set $p "meshfleet.translator.partitions" (toString $v.kafka.partitions) -}}
{{- $_ := set $p "meshfleet.translator.replication-factor" (toString $v.kafka.replicationFactor) -}}
{{- with $v.chartSources.default -}}
{{- $_ := set $p "meshfleet.translator.default-chart-source" . -}}
{{- end -}}
{{- with $v.chartSources.allowed -}}
{{- $_ := set $p "meshfleet.translator.allowed-chart-sources" (join "," .) -}}
{{- end -}}
{{- else if eq .key "installer" -}}
{{- $_ := set $p "meshfleet.installer.replica-id" "${POD_NAME}" -}}
{{- $_ := set $p "meshfleet.installer.group-instance-id" "${POD_NAME}" -}}
{{- $_ := set $p "meshfleet.installer.group-id" $v.installer.groupId -}}
{{- $_ := set $p "meshfleet.installer.cluster-secret-namespace" (include "meshfleet.clusterSecretNamespace" .root) -}}
{{- $_ := set $p "meshfleet.installer.lease.namespace" .root.Release.Namespace -}}
{{- $_ := set $p "meshfleet.installer.create-topics" $createTopics -}}
{{- $_ := set $p "meshfleet.installer.partitions" (toString $v.kafka.partitions) -}}
{{- $allowed := $v.chartSources.allowed | default list -}}
{{- with $v.chartSources.default -}}
{{- $allowed = append $allowed . -}}
{{- end -}}
{{- with $allowed -}}
{{- $_ := set $p "meshfleet.installer.allowed-chart-sources" (join "," .) -}}
{{- end -}}
{{- with $v.chartSources.credentialsSecret -}}
{{- $_ := set $p "meshfleet.installer.chart-credentials-secret" . -}}
{{- end -}}
{{- $_ := set $p "meshfleet.installer.trust.root-secret" $v.installer.trust.rootSecret -}}
{{- $_ := set $p "meshfleet.installer.trust.generate-root" (toString $v.installer.trust.generateRoot) -}}
{{- $_ := set $p "meshfleet.installer.trust.intermediate-validity" $v.installer.trust.intermediateValidity -}}
{{- else if eq .key "statusAggregator" -}}
{{- $_ := set $p "meshfleet.aggregator.application-id" $v.statusAggregator.applicationId -}}
{{- $_ := set $p "meshfleet.aggregator.state-dir" "/var/lib/meshfleet/streams" -}}
{{- $_ := set $p "meshfleet.aggregator.group-instance-id" "${POD_NAME}" -}}
{{- $_ := set $p "meshfleet.aggregator.create-topics" $createTopics -}}
{{- $_ := set $p "meshfleet.aggregator.partitions" (toString $v.kafka.partitions) -}}
{{- $_ := set $p "meshfleet.aggregator.replication-factor" (toString $v.kafka.replicationFactor) -}}
{{- end -}}
{{- range $k, $val := fromYaml (include "meshfleet.kafkaProperties" .) -}}
{{- $_ := set $p (printf "kafka.%s" $k) (toString $val) -}}
{{- end -}}
{{- range $k, $val := (index $v .key).config -}}
{{- $_ := set $p $k (toString $val) -}}
{{- end -}}
{{- range $k := keys $p | sortAlpha }}
{{ $k }}={{ index $p $k }}
{{- end -}}
{{- end -}}
