{{/* The release's name prefix: "meshfleet" for a release named meshfleet. */}}
{{- define "meshfleet.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The services: values key -> component name. One list, so that every per-service template agrees. */}}
{{- define "meshfleet.services" -}}
specIntake: spec-intake
translator: translator
installer: installer
statusAggregator: status-aggregator
{{- end -}}

{{/* Name of a service's objects; argument: dict root, component. */}}
{{- define "meshfleet.name" -}}
{{- printf "%s-%s" (include "meshfleet.fullname" .root) .component -}}
{{- end -}}

{{- define "meshfleet.selectorLabels" -}}
app.kubernetes.io/name: {{ .component }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{- define "meshfleet.labels" -}}
{{ include "meshfleet.selectorLabels" . }}
app.kubernetes.io/part-of: meshfleet
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{/* Labels of a release-wide object (CRD-free resources such as KafkaTopics). */}}
{{- define "meshfleet.commonLabels" -}}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: meshfleet
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Namespace of the cluster registration Secrets. */}}
{{- define "meshfleet.clusterSecretNamespace" -}}
{{- default .Release.Namespace .Values.installer.clusterSecretNamespace -}}
{{- end -}}

{{/* The Secret with a service's Kafka credentials, or "" (argument: dict root, key, component). */}}
{{- define "meshfleet.kafkaSecret" -}}
{{- $own := (index .root.Values .key).kafkaSecret -}}
{{- if $own -}}
{{- $own -}}
{{- else if .root.Values.strimzi.users -}}
{{- include "meshfleet.name" . -}}
{{- end -}}
{{- end -}}

{{/*
The Kafka client properties every client of a service gets (without the "kafka." prefix): what TLS and
authentication need, then kafka.properties over them. Argument: dict root, key, component.
*/}}
{{- define "meshfleet.kafkaProperties" -}}
{{- $k := .root.Values.kafka -}}
{{- $p := dict "bootstrap.servers" $k.bootstrapServers -}}
{{- $auth := $k.authentication.type -}}
{{- if eq $auth "scram-sha-512" -}}
{{- $_ := set $p "security.protocol" (ternary "SASL_SSL" "SASL_PLAINTEXT" $k.tls.enabled) -}}
{{- $_ := set $p "sasl.mechanism" "SCRAM-SHA-512" -}}
{{- $_ := set $p "sasl.jaas.config" "${KAFKA_SASL_JAAS_CONFIG}" -}}
{{- else if $k.tls.enabled -}}
{{- $_ := set $p "security.protocol" "SSL" -}}
{{- end -}}
{{- if eq $auth "tls" -}}
{{- $_ := set $p "ssl.keystore.type" "PKCS12" -}}
{{- $_ := set $p "ssl.keystore.location" "/etc/meshfleet/kafka-user/user.p12" -}}
{{- $_ := set $p "ssl.keystore.password" "${KAFKA_USER_PASSWORD}" -}}
{{- end -}}
{{- if and $k.tls.enabled $k.tls.caSecret -}}
{{- $_ := set $p "ssl.truststore.type" "PEM" -}}
{{- $_ := set $p "ssl.truststore.location" (printf "/etc/meshfleet/kafka-ca/%s" $k.tls.caKey) -}}
{{- end -}}
{{- toYaml (mergeOverwrite $p $k.properties) -}}
{{- end -}}

{{/* spec-intake: informers (list, watch), a read after a conflict (get), the finalizer added by update. */}}
{{- define "meshfleet.intakeRules" -}}
- apiGroups: [admin.gloo.solo.io]
  resources: [istiolifecyclemanagers, gatewaylifecyclemanagers]
  verbs: [get, list, watch, update]
- apiGroups: [operator.gloo.solo.io]
  resources: [servicemeshcontrollers]
  verbs: [get, list, watch, update]
- apiGroups: [meshfleet.dev]
  resources: [externalcontrolplanes]
  verbs: [get, list, watch, update]
# Seed 003's gloo-extensions-config, by name only: an informer listing and watching with fieldSelector
# metadata.name, which resourceNames restricts (docs/adr/0045).
- apiGroups: [""]
  resources: [configmaps]
  resourceNames: [gloo-extensions-config]
  verbs: [list, watch]
{{- end -}}
