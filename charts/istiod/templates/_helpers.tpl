{{- define "istiod.suffix" -}}{{ if .Values.revision }}-{{ .Values.revision }}{{ end }}{{- end -}}
{{- define "istiod.rev" -}}{{ .Values.revision | default "default" }}{{- end -}}
{{- define "istiod.labels" -}}
{{- range $k, $v := .Values.commonLabels }}
{{ $k }}: {{ $v | quote }}
{{- end }}
app: istiod
istio.io/rev: {{ include "istiod.rev" . | quote }}
{{- end -}}
{{- define "istiod.webhook" -}}
- name: {{ .name }}
  clientConfig:
    {{- with .root.Values.istiodRemote.injectionURL }}
    url: {{ . | quote }}
    {{- else }}
    service:
      name: istiod{{ include "istiod.suffix" .root }}
      namespace: {{ .root.Release.Namespace }}
      path: /inject
      port: 443
    {{- end }}
  rules:
    - operations: ["CREATE"]
      apiGroups: [""]
      apiVersions: ["v1"]
      resources: ["pods"]
  namespaceSelector:
    matchLabels:
      {{- if eq .selector "default" }}
      istio-injection: enabled
      {{- else }}
      istio.io/rev: {{ .selector | quote }}
      {{- end }}
  failurePolicy: Fail
  sideEffects: None
  reinvocationPolicy: Never
  admissionReviewVersions: ["v1"]
{{- end -}}

{{- /* As upstream: the injector of a namespace other than istio-system carries the namespace in its name. */ -}}
{{- define "istiod.injectorName" -}}
istio-sidecar-injector{{ include "istiod.suffix" . }}{{ if ne .Release.Namespace "istio-system" }}-{{ .Release.Namespace }}{{ end }}
{{- end -}}
{{- define "istiod.local" -}}{{ if not .Values.istiodRemote.enabled }}true{{ end }}{{- end -}}
